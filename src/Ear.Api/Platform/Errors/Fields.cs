namespace Ear.Api.Platform.Errors;

/// <summary>The checks every feature makes of a request's fields, each adding an error that names the field.</summary>
internal static class Fields
{
    public static string? RequiredText(ValidationErrors errors, string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(field, "Required.");
            return null;
        }

        errors.MaxLength(field, trimmed, max);
        if (trimmed.Any(char.IsControl))
        {
            errors.Add(field, "Control characters are not allowed.");
        }

        return trimmed;
    }

    public static string? OptionalText(ValidationErrors errors, string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        errors.MaxLength(field, trimmed, max);
        if (trimmed.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            errors.Add(field, "Control characters are not allowed.");
        }

        return trimmed;
    }

    public static string? OneOf(ValidationErrors errors, string field, string? value, IEnumerable<string> allowed, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, $"Required. {Allowed(allowed)}");
            }

            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.Ordinal));
        if (match is null)
        {
            errors.Add(field, $"'{Shorten(value)}' is not allowed. {Allowed(allowed)}");
        }

        return match;
    }

    /// <summary>A value as quoted back in an error message: at most 40 characters.</summary>
    public static string Shorten(string? value) => value is null ? "" : value.Length <= 40 ? value : value[..40] + "…";

    private static string Allowed(IEnumerable<string> values) => $"One of: {string.Join(", ", values)}.";
}
