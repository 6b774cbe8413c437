namespace Ear.Matching;

/// <summary>
/// A run of values of varying length for each roster slot (an expert's themes, deployments, countries),
/// all kept end to end in one array in slot order. Walking the slots then reads memory front to back,
/// which the processor's prefetcher streams, instead of jumping to a small array per expert, which
/// misses the cache on every expert of a large roster. A run that grows moves to the end of the array;
/// the holes left behind are squeezed out, in slot order again, when the array next fills up.
/// </summary>
internal sealed class Slab<T>
    where T : struct
{
    private T[] _items = new T[1024];
    private int[] _start = new int[1024];
    private int[] _length = new int[1024];
    private int _used;
    private int _holes;

    public ReadOnlySpan<T> this[int slot] => _items.AsSpan(_start[slot], _length[slot]);

    public void Set(int slot, ReadOnlySpan<T> values)
    {
        Reserve(slot + 1);
        if (values.Length <= _length[slot])
        {
            values.CopyTo(_items.AsSpan(_start[slot]));
            _holes += _length[slot] - values.Length;
            _length[slot] = values.Length;
            return;
        }

        _holes += _length[slot];
        _length[slot] = 0;
        if (_used + values.Length > _items.Length)
        {
            Repack(values.Length);
        }

        values.CopyTo(_items.AsSpan(_used));
        _start[slot] = _used;
        _length[slot] = values.Length;
        _used += values.Length;
    }

    /// <summary>
    /// Lays out every run at once, for a roster being filled: value i belongs to slot owners[i], and each run
    /// keeps its values in the order given. Rows of a table arrive in any order; placing them by a count of
    /// each slot's rows (a counting sort) is one pass, with no list per slot, and leaves no room to spare.
    /// </summary>
    public void Fill(int slots, ReadOnlySpan<int> owners, ReadOnlySpan<T> values)
    {
        Reserve(slots);
        Array.Clear(_length);
        foreach (var slot in owners)
        {
            _length[slot]++;
        }

        var next = new int[slots];
        var used = 0;
        for (var slot = 0; slot < _start.Length; slot++)
        {
            _start[slot] = used;
            if (slot < slots)
            {
                next[slot] = used;
            }

            used += _length[slot];
        }

        _items = new T[Math.Max(1024, used)];
        for (var i = 0; i < values.Length; i++)
        {
            _items[next[owners[i]]++] = values[i];
        }

        _used = used;
        _holes = 0;
    }

    /// <summary>Slot <paramref name="to"/> takes over the run of slot <paramref name="from"/>, which is left empty.</summary>
    public void Move(int from, int to)
    {
        _holes += _length[to];
        _start[to] = _start[from];
        _length[to] = _length[from];
        _length[from] = 0;
    }

    /// <summary>Room for slots [0, count).</summary>
    public void Reserve(int count)
    {
        if (count > _start.Length)
        {
            var size = Math.Max(count, _start.Length * 2);
            Array.Resize(ref _start, size);
            Array.Resize(ref _length, size);
        }
    }

    /// <summary>
    /// Copies the live runs, in slot order, into a new array twice the size they and <paramref name="more"/>
    /// values need: the free half pays for as many appends as the copy cost.
    /// </summary>
    private void Repack(int more)
    {
        var live = _used - _holes;
        var items = new T[Math.Max(1024, (live + more) * 2)];
        var used = 0;
        for (var slot = 0; slot < _start.Length; slot++)
        {
            _items.AsSpan(_start[slot], _length[slot]).CopyTo(items.AsSpan(used));
            _start[slot] = used;
            used += _length[slot];
        }

        _items = items;
        _used = used;
        _holes = 0;
    }
}
