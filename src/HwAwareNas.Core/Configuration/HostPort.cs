using System.Globalization;

namespace HwAwareNas.Core.Configuration;

/// <summary>A network endpoint written as <c>host:port</c> (IPv6 literals in brackets, e.g. <c>[::1]:30000</c>).</summary>
/// <param name="Host">Host name or IP address, without brackets.</param>
/// <param name="Port">TCP port, 1–65535.</param>
public readonly record struct HostPort(string Host, int Port)
{
    /// <summary>Parses <paramref name="text"/>; false when it is not host:port with a port in 1–65535.</summary>
    public static bool TryParse(string? text, out HostPort endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            // An unbracketed IPv6 address: the port cannot be told from the address.
            return false;
        }

        if (host.Length == 0)
        {
            return false;
        }

        endpoint = new HostPort(host, port);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
