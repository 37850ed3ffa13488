using HwAwareNas.Core.Diagnostics;
using McMaster.Extensions.CommandLineUtils;
using McMaster.Extensions.CommandLineUtils.Conventions;

namespace HwAwareNas.Tool;

/// <summary>
/// Makes argument validation failures (e.g. a missing <c>[Required]</c> option) exit with
/// <see cref="ExitCode.BadConfig"/> and a one-line error, in every command, instead of the library's exit code 1.
/// </summary>
internal sealed class BadInputConvention : IConvention
{
    /// <inheritdoc />
    public void Apply(ConventionContext context)
    {
        var app = context.Application;
        app.ValidationErrorHandler = result =>
        {
            app.Error.WriteLine($"hwnas: error: {result.ErrorMessage}");
            return (int)ExitCode.BadConfig;
        };
    }
}
