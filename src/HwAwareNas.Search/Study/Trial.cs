using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Study;

/// <summary>One evaluation recorded in a study.</summary>
/// <param name="Number">Position in the study, from 0.</param>
/// <param name="Stage">The strategy stage that asked for it, e.g. <c>nsga2</c> or <c>verify</c>.</param>
/// <param name="Candidate">The genome and its values.</param>
public sealed record Trial(int Number, string Stage, EvaluatedCandidate Candidate);
