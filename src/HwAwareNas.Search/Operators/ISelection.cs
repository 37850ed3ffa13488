namespace HwAwareNas.Search.Operators;

/// <summary>Role: choose the parents of the next offspring from a ranked population.</summary>
internal interface ISelection
{
    /// <summary>Indices into <paramref name="population"/> of <paramref name="count"/> parents, in mating order.</summary>
    IReadOnlyList<int> SelectParents(IReadOnlyList<Individual> population, int count, Random random);
}
