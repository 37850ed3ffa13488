using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Study;

/// <summary>The population a stage had after a generation, so a search can resume from it.</summary>
/// <param name="Stage">The strategy stage, e.g. <c>nsga2</c>.</param>
/// <param name="Generation">Generations completed.</param>
/// <param name="Evaluations">Evaluations the stage had done by then.</param>
/// <param name="Population">The surviving population.</param>
public sealed record GenerationRecord(string Stage, int Generation, int Evaluations, IReadOnlyList<EvaluatedCandidate> Population);
