namespace Ear.Matching;

/// <summary>
/// How many deployments start on each day, kept up to date as experts change, so that "how many
/// started in these two years" costs a walk over those days rather than over every deployment.
/// Days are kept in chunks of 64, created when first used: a date far off costs one chunk.
/// </summary>
internal sealed class DayCounts
{
    private const int ChunkBits = 6;
    private readonly Dictionary<int, int[]> _chunks = [];

    public void Add(int day, int delta)
    {
        if (!_chunks.TryGetValue(day >> ChunkBits, out var chunk))
        {
            _chunks[day >> ChunkBits] = chunk = new int[1 << ChunkBits];
        }

        chunk[day & ((1 << ChunkBits) - 1)] += delta;
    }

    /// <summary>The count over the days [from, until).</summary>
    public int Between(int from, int until)
    {
        var total = 0;
        for (var day = from; day < until;)
        {
            var chunkEnd = Math.Min(until, ((day >> ChunkBits) + 1) << ChunkBits);
            if (_chunks.TryGetValue(day >> ChunkBits, out var chunk))
            {
                for (; day < chunkEnd; day++)
                {
                    total += chunk[day & ((1 << ChunkBits) - 1)];
                }
            }

            day = chunkEnd;
        }

        return total;
    }
}
