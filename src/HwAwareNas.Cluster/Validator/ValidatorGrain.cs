using HwAwareNas.Cluster.Agent;
using HwAwareNas.Cluster.Contracts;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;
using Microsoft.Extensions.Logging;

namespace HwAwareNas.Cluster.Validator;

/// <summary>Who this validator is and how many threads it validates with.</summary>
/// <param name="ValidatorId">Its id, unique in the cluster.</param>
/// <param name="Threads">Threads of its TorchSharp and ONNX Runtime work.</param>
internal sealed record ValidatorIdentity(string ValidatorId, int Threads);

/// <summary>
/// Validates sub-networks for callers: inputs by SHA-256 (uploaded in chunks, or from a shared folder), one validation
/// at a time, answers of recent jobs remembered by id. Stateless towards the caller, whose results store stays the one
/// record of every accuracy; what it keeps is a cache of inputs and the loaded super-network.
/// </summary>
[ValidatorPlacementFilter]
internal sealed partial class ValidatorGrain(
    ValidatorIdentity identity, InputCache inputs, ISupernetValidator validator, AgentJobs<ValidationReply> jobs, ILogger<ValidatorGrain> logger)
    : Grain, IValidatorGrain
{
    /// <inheritdoc />
    public Task<ValidatorDescription> DescribeAsync() =>
        Task.FromResult(new ValidatorDescription(identity.ValidatorId, identity.Threads, DeviceFingerprint.ReadCpuModel(), Environment.ProcessorCount));

    /// <inheritdoc />
    public Task<ValidationReply> PrepareAsync(ValidationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);

        // Hashing a shared dataset takes a while: off the grain's scheduler.
        return Task.Run(() =>
        {
            var prepared = inputs.Prepare(setup);
            if (prepared.Refusal is { } refusal)
            {
                LogRefused(logger, setup.Key, refusal);
            }

            return new ValidationReply(null, prepared.Missing, prepared.Refusal);
        });
    }

    /// <inheritdoc />
    public Task<ChunkReply> UploadChunkAsync(ValidationInput input, long offset, byte[] chunk) =>
        Task.Run(() => inputs.Append(input, offset, chunk));

    /// <inheritdoc />
    public Task<ValidationReply> ValidateAsync(ValidationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return jobs.RunOnceAsync(job.JobId, () => Task.Run(() => ValidateNow(job)));
    }

    /// <inheritdoc />
    public Task<JobState> JobStateAsync(string jobId) => Task.FromResult(jobs.StateOf(jobId));

    private ValidationReply ValidateNow(ValidationJob job)
    {
        var prepared = inputs.Prepare(job.Setup);
        if (prepared.Paths is not { } files)
        {
            return new ValidationReply(null, prepared.Missing, prepared.Refusal);
        }

        if (string.Join('-', job.Choices) != job.GenomeKey)
        {
            return new ValidationReply(null, [], $"the genome's choices {string.Join('-', job.Choices)} do not match its key {job.GenomeKey}");
        }

        try
        {
            var accuracy = validator.Validate(job.Setup, files, job.Choices);
            LogValidated(logger, job.GenomeKey, accuracy);
            return new ValidationReply(accuracy, [], null);
        }
        catch (HwNasException ex)
        {
            // Inputs this machine cannot use (corrupt, not matching each other, TorchSharp wrong here): the caller's
            // other validators may; the message tells the caller's user why this one does not.
            LogRefused(logger, job.Setup.Key, ex.Message);
            return new ValidationReply(null, [], ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Validated {Genome}: {Accuracy}")]
    private static partial void LogValidated(ILogger logger, string genome, double accuracy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused setup {Setup}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string setup, string reason);
}
