namespace HwAwareNas.Cluster.Agent;

/// <summary>Who this agent process is: its device kind, its id in the cluster and its role.</summary>
/// <param name="Kind">Device kind, e.g. <c>pi4</c>.</param>
/// <param name="AgentId">Agent id, unique in the cluster.</param>
/// <param name="Role">What it does.</param>
internal sealed record AgentIdentity(string Kind, string AgentId, string Role);
