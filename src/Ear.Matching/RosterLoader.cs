namespace Ear.Matching;

/// <summary>
/// Builds a roster from the rows of its tables as they are read, one table after the other, straight into
/// the roster's columns: nothing is kept per expert on the way (a record, a list per table, a
/// <see cref="Candidate"/>), which at a million experts was more memory than the roster itself.
/// The experts come first; a row of another table whose expert was not given is left out (an erased
/// expert, or one that is not among those read). Rows may come in any order.
/// </summary>
public sealed class RosterLoader
{
    private readonly Roster _roster = new();
    private RunRows<HeldTheme> _themes = new();
    private RunRows<DayRange> _unavailability = new();
    private RunRows<PastWork> _past = new();
    private bool _built;

    public void Expert(Guid id, ExpertKind kind, string nationality, string? memberState, string gender, bool isWoman, bool isActive, bool hasConsent, IEnumerable<string> countriesOfExperience,
        bool usesEvaluations = true)
    {
        Open();
        _roster.SetExpert(_roster.Claim(id), kind, nationality, memberState, gender, isWoman, isActive, hasConsent, countriesOfExperience, usesEvaluations);
    }

    /// <summary>A language the expert speaks, at a rank from 1 (A1) to 7 (native).</summary>
    public void Language(Guid expert, string code, int rank)
    {
        Open();
        if (_roster.SlotOf(expert) is >= 0 and var slot)
        {
            _roster.SetLanguage(slot, code, rank);
        }
    }

    /// <summary>A theme the expert holds, at a level from 1 to 3.</summary>
    public void Theme(Guid expert, string code, int level)
    {
        Open();
        if (_roster.SlotOf(expert) is >= 0 and var slot)
        {
            _themes.Add(slot, _roster.Held(code, level));
        }
    }

    public void Unavailable(Guid expert, DayRange days)
    {
        Open();
        if (_roster.SlotOf(expert) is >= 0 and var slot)
        {
            _unavailability.Add(slot, days);
        }
    }

    /// <summary>A live deployment, as <see cref="PastDeployment"/> describes it.</summary>
    public void Deployment(Guid expert, DayRange days, IEnumerable<string> countries, IEnumerable<string> themes, int? rating, Recommendation? recommendation)
    {
        Open();
        if (_roster.SlotOf(expert) is >= 0 and var slot)
        {
            _past.Add(slot, _roster.Work(days, countries, themes, rating, recommendation));
        }
    }

    /// <summary>The roster, once; the rows kept on the way are let go.</summary>
    public Roster Build()
    {
        Open();
        _built = true;
        _roster.Fill(_themes, _unavailability, _past);
        _themes = null!;
        _unavailability = null!;
        _past = null!;
        return _roster;
    }

    private void Open()
    {
        if (_built)
        {
            throw new InvalidOperationException("The roster is built already.");
        }
    }
}

/// <summary>Rows of one table, each with its expert's slot, in the order read: two growing arrays, no object per row.</summary>
internal sealed class RunRows<T>
    where T : struct
{
    private int[] _owners = new int[1024];
    private T[] _values = new T[1024];
    private int _count;

    public ReadOnlySpan<int> Owners => _owners.AsSpan(0, _count);

    public ReadOnlySpan<T> Values => _values.AsSpan(0, _count);

    public void Add(int slot, T value)
    {
        if (_count == _owners.Length)
        {
            Array.Resize(ref _owners, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _owners[_count] = slot;
        _values[_count++] = value;
    }
}
