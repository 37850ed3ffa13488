namespace HwAwareNas.Build.Tests;

/// <summary>Removes the shared package feed once every test class that builds against it has finished.</summary>
[TestClass]
public static class TestRunCleanup
{
    [AssemblyCleanup]
    public static void RemovePackagedBuild() => PackagedBuild.CleanUp();
}
