using System.Collections;

namespace HealthcareOrleans.Dashboard.Tests.Support;

/// <summary>A list the exporters append to on host threads while a test reads a copy.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public object SyncRoot { get; } = new();

    public int Count
    {
        get
        {
            lock (SyncRoot)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public List<T> Snapshot()
    {
        lock (SyncRoot)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (SyncRoot)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (SyncRoot)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (SyncRoot)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (SyncRoot)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (SyncRoot)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
