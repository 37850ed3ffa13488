using Orleans.Concurrency;

namespace HwAwareNas.Cluster.Contracts;

/// <summary>
/// The validating side of one validator silo (<c>hwnas agent --role validator</c>): BatchNorm re-calibration and top-1
/// of sub-networks, given the super-network and dataset by content hash. Its key is the validator's id, and the
/// validator placement filter activates it only on the validator silo announcing that id, never on a device agent.
/// </summary>
public interface IValidatorGrain : IGrainWithStringKey
{
    /// <summary>Says who the validator is and how many threads it validates with.</summary>
    [AlwaysInterleave]
    Task<ValidatorDescription> DescribeAsync();

    /// <summary>
    /// The inputs of <paramref name="setup"/> the validator lacks (upload them), or why it refuses the setup: an input
    /// it holds (or finds in the shared folder) whose bytes hash differently.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:02:00")]
    Task<ValidationReply> PrepareAsync(ValidationSetup setup);

    /// <summary>
    /// Appends <paramref name="chunk"/> at <paramref name="offset"/> of <paramref name="input"/>'s upload; a chunk at
    /// another offset than the validator holds is ignored (answered with what it holds), so a chunk sent twice is
    /// harmless. The last chunk is checked against the input's SHA-256 before the file is kept.
    /// </summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:02:00")]
    Task<ChunkReply> UploadChunkAsync(ValidationInput input, long offset, byte[] chunk);

    /// <summary>
    /// Validates the job's sub-network. Jobs run one at a time per validator, in the order they arrive; a job whose id
    /// the validator remembers is answered from memory, or joins its validation.
    /// </summary>
    [AlwaysInterleave]
    Task<ValidationReply> ValidateAsync(ValidationJob job);

    /// <summary>What the validator knows of the job with <paramref name="jobId"/> (a caller waiting for an answer asks this).</summary>
    [AlwaysInterleave]
    Task<JobState> JobStateAsync(string jobId);
}
