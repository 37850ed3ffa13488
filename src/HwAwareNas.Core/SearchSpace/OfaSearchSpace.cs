using System.Globalization;
using System.Text;
using System.Text.Json;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// A search space whose genes are grouped by OFA-notation key (<c>ks</c>, <c>e</c>, <c>d</c>, <c>w</c>): the genes of
/// one group are contiguous and written, as values, in one JSON array per key. Families supply the genes and
/// the rule for which genes are active.
/// </summary>
public abstract class OfaSearchSpace : ISearchSpace
{
    // Values are compared with a tolerance because expand ratios such as 0.35 come back from JSON as doubles.
    private const double ValueTolerance = 1e-9;

    private readonly List<(string Group, int Start, int Count)> _groups = [];

    /// <summary>Creates the space from its genes, which must list each group's genes contiguously.</summary>
    protected OfaSearchSpace(string family, IReadOnlyList<Gene> genes)
    {
        ArgumentNullException.ThrowIfNull(genes);
        Family = family;
        Genes = genes;
        for (var i = 0; i < genes.Count; i++)
        {
            if (_groups.Count > 0 && _groups[^1].Group == genes[i].Group)
            {
                var last = _groups[^1];
                _groups[^1] = (last.Group, last.Start, last.Count + 1);
            }
            else if (_groups.Exists(g => g.Group == genes[i].Group))
            {
                throw new ArgumentException($"Genes of group '{genes[i].Group}' are not contiguous.", nameof(genes));
            }
            else
            {
                _groups.Add((genes[i].Group, i, 1));
            }
        }
    }

    /// <inheritdoc />
    public string Family { get; }

    /// <inheritdoc />
    public IReadOnlyList<Gene> Genes { get; }

    /// <inheritdoc />
    public bool IsActive(Genome genome, int geneIndex)
    {
        this.Validate(genome);
        return IsActiveGene(genome, geneIndex);
    }

    /// <inheritdoc />
    public Genome Canonicalize(Genome genome)
    {
        this.Validate(genome);
        return new Genome(genome.Choices.Select((c, i) => IsActiveGene(genome, i) ? c : 0));
    }

    /// <summary>Whether gene <paramref name="geneIndex"/> affects the network of an already validated genome.</summary>
    protected abstract bool IsActiveGene(Genome genome, int geneIndex);

    /// <summary>The value gene <paramref name="geneIndex"/> takes in <paramref name="genome"/>.</summary>
    public double ValueOf(Genome genome, int geneIndex)
    {
        ArgumentNullException.ThrowIfNull(genome);
        return Genes[geneIndex].Values[genome[geneIndex]];
    }

    /// <inheritdoc />
    public string ToOfaNotation(Genome genome)
    {
        this.Validate(genome);
        var text = new StringBuilder("{");
        foreach (var (group, start, count) in _groups)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append('"').Append(group).Append("\":[");
            for (var i = start; i < start + count; i++)
            {
                if (i > start)
                {
                    text.Append(',');
                }

                text.Append(ValueOf(genome, i).ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append(']');
        }

        return text.Append('}').ToString();
    }

    /// <inheritdoc />
    public Genome FromOfaNotation(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // The parser's message ends in its own "LineNumber: 0 | BytePositionInLine: 10." trailer; a genome is one
            // line, so the character is all the place there is to name.
            var trailer = JsonErrorTrailers
                .Select(marker => e.Message.IndexOf(marker, StringComparison.Ordinal))
                .Where(at => at >= 0)
                .DefaultIfEmpty(e.Message.Length)
                .Min();
            var reason = e.Message[..trailer].TrimEnd('.', ' ');
            throw BadGenome(string.Create(CultureInfo.InvariantCulture, $"not valid JSON at character {(e.BytePositionInLine ?? 0) + 1}: {reason}"), inner: e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw BadGenome("the genome must be a JSON object");
            }

            var choices = new int[Genes.Count];
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!_groups.Exists(g => g.Group == property.Name))
                {
                    throw BadGenome($"unknown key '{property.Name}'");
                }
            }

            foreach (var (group, start, count) in _groups)
            {
                if (!document.RootElement.TryGetProperty(group, out var array))
                {
                    throw BadGenome($"key '{group}' is missing");
                }

                if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != count)
                {
                    throw BadGenome($"key '{group}' must be an array of {count} numbers");
                }

                var offset = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var gene = Genes[start + offset];
                    if (item.ValueKind != JsonValueKind.Number)
                    {
                        throw BadGenome($"{group}[{offset}] must be a number, not {item.ValueKind}");
                    }

                    var value = item.GetDouble();
                    var choice = FindChoice(gene, value);
                    if (choice < 0)
                    {
                        throw BadGenome(
                            $"{group}[{offset}] = {value.ToString(CultureInfo.InvariantCulture)} is not one of {FormatValues(gene)}");
                    }

                    choices[start + offset] = choice;
                    offset++;
                }
            }

            return new Genome(choices);
        }
    }

    /// <summary>The values of a gene as text, e.g. <c>{3, 5, 7}</c>.</summary>
    internal static string FormatValues(Gene gene) =>
        "{" + string.Join(", ", gene.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "}";

    private static int FindChoice(Gene gene, double value)
    {
        for (var i = 0; i < gene.Values.Count; i++)
        {
            if (Math.Abs(gene.Values[i] - value) <= ValueTolerance)
            {
                return i;
            }
        }

        return -1;
    }

    // Where System.Text.Json's messages append the location of an error.
    private static readonly string[] JsonErrorTrailers = [" Path:", " LineNumber:"];

    private HwNasException BadGenome(string message, Exception? inner = null) =>
        new($"Invalid {Family} genome: {message}.", ExitCode.BadConfig, inner);
}
