using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Families;

/// <summary>
/// Family name → factory, so nothing outside the families switches on a family name. The built-in families are
/// <c>mobilenetv3</c>, <c>resnet</c> and <c>transformer</c>; others can be registered at start-up.
/// </summary>
public static class FamilyRegistry
{
    private static readonly Dictionary<string, Func<FamilyOptions, IElasticFamily>> Factories =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [MobileNetV3Family.Name] = options => new MobileNetV3Family(MobileNetV3Settings.Read(options)),
            [ResNetFamily.Name] = options => new ResNetFamily(ResNetSettings.Read(options)),
            [TransformerFamily.Name] = options => new TransformerFamily(TransformerSettings.Read(options)),
        };

    private static readonly Lock Gate = new();

    /// <summary>Registered family names, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate)
            {
                return [.. Factories.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Registers (or replaces) a family factory.</summary>
    public static void Register(string name, Func<FamilyOptions, IElasticFamily> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate)
        {
            Factories[name] = factory;
        }
    }

    /// <summary>
    /// Builds family <paramref name="name"/> for <paramref name="options"/>; throws <see cref="HwNasException"/>
    /// (<see cref="ExitCode.BadConfig"/>) for an unknown name or bad settings.
    /// </summary>
    public static IElasticFamily Create(string name, FamilyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Func<FamilyOptions, IElasticFamily>? factory;
        lock (Gate)
        {
            Factories.TryGetValue(name, out factory);
        }

        if (factory is null)
        {
            throw new HwNasException(
                $"Unknown super-network family '{name}': expected one of {string.Join(", ", Names)}.", ExitCode.BadConfig);
        }

        return factory(options ?? new FamilyOptions());
    }
}
