namespace Ear.Api.Platform.Errors;

/// <summary>Collects every failing field of a request, so that one answer names them all.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Adds an error when <paramref name="value"/> is longer than <paramref name="max"/> characters.</summary>
    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"At most {max} characters (got {value.Length}).");
        }
    }

    /// <summary>A YYYY-MM-DD query value: null when absent, an error naming the field when malformed.</summary>
    public DateOnly? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Http.Dates.TryParse(value, out var date))
        {
            return date;
        }

        Add(field, Http.Dates.Expected);
        return null;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Takes another collection's errors with their fields under <paramref name="prefix"/>.</summary>
    public void AddAll(string prefix, ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add($"{prefix}.{field}", message);
            }
        }
    }
}
