using HwAwareNas.Core.Configuration;
using Orleans.Concurrency;

namespace HwAwareNas.Cluster.Contracts;

/// <summary>
/// The measuring side of one device agent. Its key is <see cref="AgentKey"/>'s <c>kind/agent-id</c>, and the agent
/// placement filter activates it only on the silo that announces exactly that kind and id, so work addressed to an
/// agent runs on that device or not at all. It runs nothing but ONNX Runtime inference.
/// </summary>
public interface IDeviceAgentGrain : IGrainWithStringKey
{
    /// <summary>Describes the agent and the fingerprint its measurements would carry under the caller's settings.</summary>
    [AlwaysInterleave]
    Task<AgentDescription> DescribeAsync(DeviceOptions device, InputShape input);

    /// <summary>The hashes among <paramref name="sha256"/> the agent does not hold yet.</summary>
    [AlwaysInterleave]
    Task<string[]> MissingModelsAsync(string[] sha256);

    /// <summary>Stores a model in the agent's content-addressed cache, after checking its hash and size.</summary>
    [AlwaysInterleave]
    [ResponseTimeout("00:02:00")]
    Task<UploadReply> UploadModelAsync(string sha256, byte[] model);

    /// <summary>
    /// Measures the job's models together under the caller's protocol. Jobs are measured one at a time per agent (in
    /// the order they arrive); a job whose id the agent remembers is answered from memory, or joins its measurement.
    /// </summary>
    /// <remarks>
    /// Interleaved, so that a job is known (<see cref="JobStateAsync"/>) from the moment it arrives, and describing,
    /// uploads and job states are answered while the agent measures.
    /// </remarks>
    [AlwaysInterleave]
    Task<MeasureReply> MeasureAsync(MeasureJob job);

    /// <summary>
    /// What the agent knows of the job with <paramref name="jobId"/>. A caller waiting for a measurement asks this to
    /// tell a job still measuring from one whose answer was lost (a silo on the answer's way died), or that never arrived.
    /// </summary>
    [AlwaysInterleave]
    Task<JobState> JobStateAsync(string jobId);
}

/// <summary>Lists the agents in the cluster, from their silos' metadata.</summary>
public interface IAgentDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Every active agent silo: its kind, id and role.</summary>
    Task<AgentListing[]> ListAsync();
}

/// <summary>An agent silo as its metadata announces it.</summary>
/// <param name="Kind">Device kind (empty for a validator).</param>
/// <param name="AgentId">Agent id.</param>
/// <param name="Role">What the agent does (<c>measure</c> or <c>validator</c>).</param>
/// <param name="Silo">The silo's address, for logs.</param>
/// <param name="Gateway">host:port of the agent's own gateway, or null when its metadata does not say.</param>
[GenerateSerializer, Immutable]
public sealed record AgentListing(
    [property: Id(0)] string Kind,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string Role,
    [property: Id(3)] string Silo,
    [property: Id(4)] string? Gateway = null)
{
    /// <summary>The key of this agent's <see cref="IDeviceAgentGrain"/>.</summary>
    public string GrainKey => AgentKey.Of(Kind, AgentId);
}

/// <summary>The <c>kind/agent-id</c> key of a device agent's grain, and the silo metadata names it is matched against.</summary>
public static class AgentKey
{
    /// <summary>Silo metadata key holding the agent's device kind.</summary>
    public const string KindMetadata = "hwnas.kind";

    /// <summary>Silo metadata key holding the agent's id.</summary>
    public const string IdMetadata = "hwnas.agent";

    /// <summary>Silo metadata key holding the agent's role.</summary>
    public const string RoleMetadata = "hwnas.role";

    /// <summary>Silo metadata key holding host:port of the agent's gateway (where its callers connect).</summary>
    public const string GatewayMetadata = "hwnas.gateway";

    /// <summary>The role of an agent that measures latency.</summary>
    public const string MeasureRole = "measure";

    /// <summary>The role of a validator silo (accuracy of sub-networks; no device kind).</summary>
    public const string ValidatorRole = "validator";

    /// <summary>The grain key of agent <paramref name="agentId"/> of kind <paramref name="kind"/>.</summary>
    public static string Of(string kind, string agentId) => kind + "/" + agentId;

    /// <summary>Splits a grain key into kind and agent id; false when it is not one.</summary>
    public static bool TryParse(string key, out string kind, out string agentId)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        kind = slash > 0 ? key[..slash] : string.Empty;
        agentId = slash > 0 ? key[(slash + 1)..] : string.Empty;
        return slash > 0 && agentId.Length > 0;
    }
}
