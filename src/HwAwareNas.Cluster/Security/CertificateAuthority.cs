using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HwAwareNas.Cluster.Security;

/// <summary>
/// A private certificate authority for one fleet: <c>ca.pem</c> (public, given to every member) and <c>ca.key.pem</c>
/// (kept by whoever adds members), and PKCS#12 certificates it issues for agents and callers.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    /// <summary>File name of the authority's certificate.</summary>
    public const string CertificateFile = "ca.pem";

    /// <summary>File name of the authority's private key.</summary>
    public const string KeyFile = "ca.key.pem";

    private readonly X509Certificate2 _certificate;

    private CertificateAuthority(X509Certificate2 certificate) => _certificate = certificate;

    /// <summary>Loads the authority in <paramref name="folder"/>, or creates one there when it has none.</summary>
    public static CertificateAuthority OpenOrCreate(string folder)
    {
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, CertificateFile);
        var keyPath = Path.Combine(folder, KeyFile);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=hwnas fleet authority", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new CertificateAuthority(certificate);
    }

    /// <summary>
    /// Issues a certificate for <paramref name="name"/> (an agent or a caller; usable as TLS server and client) and
    /// writes it with its key to <paramref name="pfxPath"/>, protected by <paramref name="password"/> (null: none).
    /// </summary>
    public void Issue(string name, string pfxPath, string? password, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + validity < _certificate.NotAfter ? now + validity : _certificate.NotAfter;
        using var issued = request.Create(_certificate, now.AddDays(-1), notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        WritePrivate(pfxPath, withKey.Export(X509ContentType.Pkcs12, password));
    }

    /// <inheritdoc />
    public void Dispose() => _certificate.Dispose();

    private static void WritePrivate(string path, string text) => WritePrivate(path, System.Text.Encoding.ASCII.GetBytes(text));

    // Keys are readable by their owner only.
    private static void WritePrivate(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }
}
