namespace Ear.Matching;

/// <summary>
/// The best few of a stream of scored roster slots, ordered by score and then by expert id (the
/// ranking's order). A bounded heap whose root is the worst one kept: once it is full, most offers
/// cost one comparison with the root, so finding the best 200 of a million needs no sort.
/// </summary>
internal sealed class Leaders(Roster roster, int capacity)
{
    private readonly List<(double Score, int Slot)> _heap = new(capacity);

    /// <summary>Whether a slot with this score would be kept: a cheap test before anything dearer is asked of it.</summary>
    public bool Admits(double score, int slot) => _heap.Count < capacity || Ranks(score, slot, _heap[0]);

    public void Offer(double score, int slot)
    {
        if (_heap.Count < capacity)
        {
            _heap.Add((score, slot));
            SiftUp(_heap.Count - 1);
        }
        else if (capacity > 0 && Ranks(score, slot, _heap[0]))
        {
            _heap[0] = (score, slot);
            SiftDown(0);
        }
    }

    public void Merge(Leaders other)
    {
        foreach (var (score, slot) in other._heap)
        {
            Offer(score, slot);
        }
    }

    /// <summary>The slots kept, in no particular order.</summary>
    public IReadOnlyList<(double Score, int Slot)> Kept => _heap;

    /// <summary>The slots kept, best first.</summary>
    public List<(double Score, int Slot)> BestFirst()
    {
        var ordered = _heap.ToList();
        ordered.Sort(roster.CompareRanks);
        return ordered;
    }

    private bool Ranks(double score, int slot, (double Score, int Slot) other) => roster.RanksBefore(score, slot, other);

    // A min-heap on the ranking: every parent ranks after its children, so the root is the worst kept.
    private void SiftUp(int at)
    {
        while (at > 0)
        {
            var parent = (at - 1) / 2;
            if (!Ranks(_heap[parent].Score, _heap[parent].Slot, _heap[at]))
            {
                return;
            }

            (_heap[parent], _heap[at]) = (_heap[at], _heap[parent]);
            at = parent;
        }
    }

    private void SiftDown(int at)
    {
        while (true)
        {
            var worst = at;
            foreach (var child in (ReadOnlySpan<int>)[(2 * at) + 1, (2 * at) + 2])
            {
                if (child < _heap.Count && Ranks(_heap[worst].Score, _heap[worst].Slot, _heap[child]))
                {
                    worst = child;
                }
            }

            if (worst == at)
            {
                return;
            }

            (_heap[worst], _heap[at]) = (_heap[at], _heap[worst]);
            at = worst;
        }
    }
}
