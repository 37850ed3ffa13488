using System.Text.Json;

namespace HwAwareNas.Core.Configuration;

/// <summary>
/// What configuration validation reads of a checkpoint's training record: the JSON sidecar
/// <c>&lt;checkpoint&gt;.json</c> that training writes (HwAwareNas.Torch's <c>TrainingRecord</c>, which Core cannot
/// reference), down to the fields that say which super-network the weights are for. Later stages refuse weights whose
/// record differs from the configured super-network, so validation compares the same fields.
/// </summary>
/// <param name="Family">Super-network family.</param>
/// <param name="Settings">Family settings as the family's <c>key=value</c> text.</param>
/// <param name="Input">Input shape: channels, height, width.</param>
/// <param name="Classes">Number of classes.</param>
internal sealed record CheckpointRecord(string Family, string Settings, IReadOnlyList<int> Input, int Classes)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The training record's path beside <paramref name="checkpointPath"/>.</summary>
    public static string PathFor(string checkpointPath) => checkpointPath + ".json";

    /// <summary>Reads the record at <paramref name="path"/>; returns null with the reason when it is unreadable or incomplete.</summary>
    public static CheckpointRecord? TryRead(string path, out string problem)
    {
        CheckpointRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<CheckpointRecord>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }

        // A record without these fields could not be checked by the stages that load the weights either.
        problem = record is null || record.Family is null || record.Settings is null || record.Input is not { Count: 3 } || record.Classes < 1
            ? "it lacks family, settings, input or classes"
            : string.Empty;
        return problem.Length == 0 ? record : null;
    }
}
