using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Connections.Security;

namespace HwAwareNas.Cluster.Security;

/// <summary>
/// A cluster member's TLS identity: its own certificate (with private key) and the authority every peer's certificate
/// must be issued by. Agents and callers present certificates both ways (mutual TLS), so an agent serves only callers
/// holding a certificate of the same authority; any other peer is refused and logged.
/// </summary>
internal sealed partial class TlsIdentity : IDisposable
{
    private TlsIdentity(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
    }

    /// <summary>This member's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The authority peers' certificates must chain to.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Loads <paramref name="files"/>; the password comes from the environment variable they name.</summary>
    /// <exception cref="HwNasException">A file is missing or unreadable, the password variable is unset, or the certificate has no key.</exception>
    public static TlsIdentity Load(TlsFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string? password = null;
        if (files.PasswordEnvironmentVariable is { } variable)
        {
            password = Environment.GetEnvironmentVariable(variable)
                ?? throw new HwNasException($"The TLS certificate password variable '{variable}' is not set.", ExitCode.BadConfig);
        }

        X509Certificate2 certificate;
        X509Certificate2 authority;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(files.Certificate, password);
            authority = X509CertificateLoader.LoadCertificateFromFile(files.CertificateAuthority);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            var exit = ex is FileNotFoundException or DirectoryNotFoundException ? ExitCode.MissingInput : ExitCode.BadConfig;
            throw new HwNasException($"Cannot load the TLS files ('{files.Certificate}', authority '{files.CertificateAuthority}'): {ex.Message}", exit, ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new HwNasException($"The TLS certificate '{files.Certificate}' holds no private key: a PKCS#12 file with the key is needed.", ExitCode.BadConfig);
        }

        return new TlsIdentity(certificate, authority);
    }

    // The address of the peer whose handshake runs on this flow (set as the handshake starts).
    private static readonly AsyncLocal<string?> Peer = new();

    /// <summary>Where refused peers are logged; set once the host's logging exists (until then nothing is logged).</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Configures Orleans' TLS: present this certificate, require one from every peer, accept only this authority's.</summary>
    public void Configure(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, _, _) => IsIssuedByAuthority(certificate, Logger);

        // The validation callback is not told who is connecting; the handshake it runs in is, just before.
        options.OnAuthenticateAsServer = (connection, _) => Peer.Value = connection.RemoteEndPoint?.ToString();
        options.OnAuthenticateAsClient = (connection, _) => Peer.Value = connection.RemoteEndPoint?.ToString();
    }

    /// <summary>
    /// True when <paramref name="peer"/> chains to <see cref="Authority"/> and is valid now. Host names are not
    /// checked: trust is the private authority's, and devices are addressed by IP more often than by name.
    /// </summary>
    public bool IsIssuedByAuthority(X509Certificate2 peer, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var valid = chain.Build(peer)
            && chain.ChainElements[^1].Certificate.Thumbprint == Authority.Thumbprint;
        if (!valid)
        {
            var problems = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
            LogRefusedPeer(logger, Peer.Value ?? "unknown address", peer.Subject, peer.Thumbprint, Authority.Subject, problems.Length == 0 ? "another root" : problems);
        }

        return valid;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a peer at {Peer}: its certificate '{Subject}' ({Thumbprint}) is not issued by the trusted authority '{Authority}' ({Problems})")]
    private static partial void LogRefusedPeer(ILogger logger, string peer, string subject, string thumbprint, string authority, string problems);
}
