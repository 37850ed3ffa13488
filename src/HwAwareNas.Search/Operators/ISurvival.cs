namespace HwAwareNas.Search.Operators;

/// <summary>Role: choose which individuals of parents ∪ offspring form the next population.</summary>
internal interface ISurvival
{
    /// <summary>
    /// At most <paramref name="count"/> survivors of <paramref name="candidates"/>, with their rank and crowding set.
    /// </summary>
    IReadOnlyList<Individual> Survive(IReadOnlyList<Individual> candidates, int count);
}
