namespace HwAwareNas.Cluster.Caller;

/// <summary>Work waiting for a member (a chunk of models, a genome); a failed member's item goes back to the front.</summary>
/// <typeparam name="T">One item of work.</typeparam>
internal sealed class WorkQueue<T>(IEnumerable<T> items)
{
    private readonly LinkedList<T> _items = new(items);
    private readonly Lock _gate = new();

    /// <summary>Whether nothing is waiting.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _items.Count == 0;
            }
        }
    }

    /// <summary>Takes the first item; false when none is waiting.</summary>
    public bool TryTake(out T item)
    {
        lock (_gate)
        {
            if (_items.First is not { } first)
            {
                item = default!;
                return false;
            }

            item = first.Value;
            _items.RemoveFirst();
            return true;
        }
    }

    /// <summary>Puts an unfinished item back at the front, for the next member.</summary>
    public void Return(T item)
    {
        lock (_gate)
        {
            _items.AddFirst(item);
        }
    }
}
