using System.Runtime.InteropServices;
using HwAwareNas.Torch.Native;

namespace HwAwareNas.Torch.Tests;

/// <summary>The oneDNN cap reaches the native environment, where oneDNN reads it, and a user's own value wins.</summary>
[TestClass]
public sealed class OneDnnIsaCapTests
{
    [TestMethod]
    public void TheCapIsVisibleToNativeCodeAndNamesTheValueInEffect()
    {
        OneDnnIsaCap.Apply();
        var native = Marshal.PtrToStringUTF8(getenv(System.Text.Encoding.UTF8.GetBytes(OneDnnIsaCap.Variable + "\0")));
        Assert.AreEqual(OneDnnIsaCap.Effective, native, "libc's environment (what oneDNN's getenv sees) holds the cap in effect");
        if (OneDnnIsaCap.SetByUser)
        {
            Assert.AreEqual(Environment.GetEnvironmentVariable(OneDnnIsaCap.Variable)!.Trim(), OneDnnIsaCap.Effective);
        }
        else
        {
            Assert.AreEqual(OneDnnIsaCap.DefaultCap, OneDnnIsaCap.Effective);
        }
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(byte[] name);
}
