namespace HwAwareNas.Search.Strategies;

/// <summary>Why a budgeted search ended.</summary>
public enum SearchStopReason
{
    /// <summary>The strategy finished: its validations or generations were spent.</summary>
    Completed,

    /// <summary>The wall-time limit ran out.</summary>
    WallTime,

    /// <summary>A measured candidate met every constraint and stop-when-met was on.</summary>
    ConstraintsMet,

    /// <summary>
    /// The smallest sub-network, measured, is over an upper bound by more than
    /// <see cref="BudgetedSearch.HopelessFactor"/>: no sub-network can meet the constraints, so the rest of the budget
    /// is not spent.
    /// </summary>
    NoneCanMeet,
}
