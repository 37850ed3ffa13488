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
}
