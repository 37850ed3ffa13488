namespace HwAwareNas.Cluster;

/// <summary>Names agents and callers must agree on.</summary>
internal static class ClusterNames
{
    /// <summary>Orleans service id of every hwnas cluster (the cluster id tells fleets apart).</summary>
    public const string ServiceId = "hwnas";

    /// <summary>Default cluster id.</summary>
    public const string DefaultClusterId = "hwnas";
}
