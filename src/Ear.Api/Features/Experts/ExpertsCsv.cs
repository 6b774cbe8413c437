using System.Globalization;
using System.Text;
using CsvHelper;
using Npgsql;
using Ear.Api.Auth;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ear.Api.Features.Experts;

/// <summary>
/// The roster as CSV. Columns, in this order (the export writes them all; the import needs the
/// required ones and accepts any order):
/// id (optional on import: kept when an admin gives it; a focal point leaves it empty), givenName*, familyName*, email*, phone, gender*,
/// nationality*, kind*, memberState, employer, position, bio,
/// languages ("fr:C1;en:B2"), themes ("irregular.trafficking:3;horizontal.data:1"),
/// countriesOfExperience ("PE;BO"), unavailability ("2027-01-01/2027-01-10;2027-06-01/2027-06-30"),
/// status (active or inactive; default active), consentRecordedAt (ISO 8601), consentRecordedBy, consentBasis.
/// Import errors name rows[n].field, n counting data rows from 1 (the header is not counted).
/// </summary>
internal static class ExpertsCsv
{
    public const int MaxImportBytes = 20 * 1024 * 1024;
    public const int MaxImportRows = 50_000;
    private const int ExportChunk = 1000;

    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "givenName", "familyName", "email", "phone", "gender", "nationality", "kind", "memberState", "employer",
        "position", "bio", "languages", "themes", "countriesOfExperience", "unavailability", "status",
        "consentRecordedAt", "consentRecordedBy", "consentBasis",
    ];

    private static readonly string[] RequiredColumns = ["givenName", "familyName", "email", "gender", "nationality", "kind"];

    public static PushStreamHttpResult Export(Db db, ExpertFilter filter, Caller caller) =>
        TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            // A cell starting with = + - @ (a name, a bio, a phone number) would run as a formula when the
            // file is opened in a spreadsheet: it is written after a ' (read as "text"), which the import removes.
            await using var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
            csv.WriteHeader(Columns.ToArray());
            Guid? after = null;
            while (true)
            {
                var (rows, children) = await db.ReadPreferringStandbyAsync(async (connection, token) =>
                {
                    var rows = await ExpertsQueries.PageAsync(connection, filter, after, ExportChunk, token);
                    var children = await ExpertsQueries.GetChildrenAsync(connection, rows.Select(r => r.Id).ToArray(), token);
                    return (rows, children);
                }, CancellationToken.None);

                foreach (var expert in rows.Select(row => ExpertMapping.ToResponse(row, children, caller)))
                {
                    WriteRecord(csv, expert);
                    await csv.EndRecordAsync(CancellationToken.None);
                }

                await csv.FlushAsync(CancellationToken.None);
                if (rows.Count < ExportChunk)
                {
                    break;
                }

                after = rows[^1].Id;
            }
        }, "text/csv; charset=utf-8", "experts.csv");

    public static async Task<Results<Created<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        Caller caller, HttpContext context, ReferenceCatalog catalog, Db db, CancellationToken cancellationToken)
    {
        if (RefusedBody(context.Request) is { } refused)
        {
            return refused;
        }

        var reference = await catalog.GetAsync(cancellationToken);
        var errors = new ValidationErrors();
        var drafts = new List<(int Line, Guid Id, ExpertDraft Draft)>();
        try
        {
            if (await ReadRowsAsync(context.Request.Body, caller, reference, drafts, errors, cancellationToken) is { } unreadable)
            {
                return unreadable;
            }
        }
        catch (BodyTooLargeException)
        {
            return TooLarge();
        }

        if (drafts.Count == 0 && !errors.Any)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The CSV has a header but no rows."] });
        }

        FindDuplicatesWithinFile(drafts, errors);
        await FindTakenOnRosterAsync(db, caller, drafts, errors, cancellationToken);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "Nothing was imported: every row must be valid.");
        }

        if (await InsertAllAsync(db, caller, drafts, cancellationToken) is { } raced)
        {
            return raced;
        }

        return TypedResults.Created("/api/v1/experts", new ImportResult(drafts.Count, drafts.Select(d => d.Id).ToList()));
    }

    /// <summary>A body declared as something else than CSV, or larger than an import may be, before a byte of it is read.</summary>
    private static ProblemHttpResult? RefusedBody(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (contentType is not null && !contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the roster as text/csv.", detail: $"The body was declared as {contentType}.");
        }

        return request.ContentLength > MaxImportBytes ? TooLarge() : null;
    }

    /// <summary>
    /// Reads every row into <paramref name="drafts"/>, collecting each row's errors as rows[n].field; answers at
    /// once only for a file that cannot be an import at all (no header, unknown or missing columns, too many rows).
    /// </summary>
    private static async Task<ValidationProblem?> ReadRowsAsync(Stream body, Caller caller, ReferenceSnapshot reference,
        List<(int Line, Guid Id, ExpertDraft Draft)> drafts, ValidationErrors errors, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(new LimitedStream(body, MaxImportBytes), Encoding.UTF8);
        await using var csv = CsvReader.Create(reader, new CsvReaderOptions
        {
            Separator = ',',
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FormatProvider = CultureInfo.InvariantCulture,
        }, leaveOpen: true);
        var line = 0;
        try
        {
            await csv.ReadHeaderAsync(cancellationToken);
            if (HeaderProblem(csv.Headers) is { } headerProblem)
            {
                return headerProblem;
            }

            while (await csv.ReadAsync(cancellationToken))
            {
                line++;
                if (drafts.Count + 1 > MaxImportRows)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"At most {MaxImportRows} rows per import."] });
                }

                var rowErrors = new ValidationErrors();
                var (id, request) = ReadRow(csv, rowErrors);
                if (id is not null && caller.IsFocalPoint)
                {
                    rowErrors.Add("id", ExpertDisclosure.ImportIdRefused);
                }

                var draft = ExpertValidation.Validate(request, reference, rowErrors);
                if (draft is not null && caller.IsFocalPoint && draft.MemberState != caller.MemberState)
                {
                    rowErrors.Add("memberState", $"A focal point of {caller.MemberState} imports experts nominated by {caller.MemberState} only.");
                }

                if (rowErrors.Any || draft is null)
                {
                    errors.AddAll($"rows[{line}]", rowErrors);
                    continue;
                }

                drafts.Add((line, id ?? Guid.CreateVersion7(), draft));
            }
        }
        catch (CsvFormatException)
        {
            errors.Add($"rows[{line + 1}]", "Not well-formed CSV (a stray or unclosed quote?); nothing after it was read.");
        }

        return null;
    }

    private static ValidationProblem? HeaderProblem(IReadOnlyList<string> header)
    {
        if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The CSV is empty: expected a header row."] });
        }

        var missing = RequiredColumns.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
        var unknown = header.Where(c => !Columns.Contains(c, StringComparer.Ordinal)).ToList();
        if (missing.Count == 0 && unknown.Count == 0)
        {
            return null;
        }

        var headerErrors = new Dictionary<string, string[]>();
        if (missing.Count > 0)
        {
            headerErrors["header"] = [$"Missing columns: {string.Join(", ", missing)}."];
        }

        if (unknown.Count > 0)
        {
            headerErrors["header"] = [.. headerErrors.GetValueOrDefault("header") ?? [], $"Unknown columns: {string.Join(", ", unknown)}. Known: {string.Join(", ", Columns)}."];
        }

        return TypedResults.ValidationProblem(headerErrors);
    }

    /// <summary>
    /// E-mails and ids the roster already holds. A focal point learns nothing here about experts it may not see
    /// (ExpertDisclosure): its ids were refused while reading, and a taken e-mail gets one answer whoever holds it.
    /// </summary>
    private static async Task FindTakenOnRosterAsync(Db db, Caller caller, List<(int Line, Guid Id, ExpertDraft Draft)> drafts, ValidationErrors errors,
        CancellationToken cancellationToken)
    {
        var (takenEmails, takenIds) = await db.ReadAsync(
            (connection, token) => ExpertsQueries.FindTakenAsync(connection, drafts.Select(d => d.Draft.Email).ToArray(), drafts.Select(d => d.Id).ToArray(), token),
            cancellationToken);
        foreach (var (line, id, draft) in drafts)
        {
            if (takenEmails.TryGetValue(draft.Email.ToLowerInvariant(), out var holder))
            {
                errors.Add($"rows[{line}].email", caller.IsFocalPoint
                    ? ExpertDisclosure.EmailUnusable
                    : $"{draft.Email} is already the e-mail of expert {holder} (compared without regard to case).");
            }

            if (takenIds.Contains(id))
            {
                errors.Add($"rows[{line}].id", $"{id} is already an expert on the roster.");
            }
        }
    }

    /// <summary>Every row or none; a 409 when another request took one of these e-mails or ids since they were checked.</summary>
    private static async Task<ProblemHttpResult?> InsertAllAsync(Db db, Caller caller, List<(int Line, Guid Id, ExpertDraft Draft)> drafts, CancellationToken cancellationToken)
    {
        try
        {
            await db.InTransactionAsync(async (connection, transaction, token) =>
            {
                foreach (var (_, id, draft) in drafts)
                {
                    await ExpertsWrites.InsertAsync(connection, transaction, id, draft, caller.KeyId, token);
                }

                return drafts.Count;
            }, cancellationToken);
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing was imported: the roster changed meanwhile.",
                detail: "Another request added an expert with one of these e-mail addresses or ids while the file was being checked. Send it again to see which rows.");
        }
    }

    private static void FindDuplicatesWithinFile(List<(int Line, Guid Id, ExpertDraft Draft)> drafts, ValidationErrors errors)
    {
        foreach (var group in drafts.GroupBy(d => d.Draft.Email.ToLowerInvariant()).Where(g => g.Count() > 1))
        {
            foreach (var (line, _, _) in group.Skip(1))
            {
                errors.Add($"rows[{line}].email", $"Also on line {group.First().Line}.");
            }
        }

        foreach (var group in drafts.GroupBy(d => d.Id).Where(g => g.Count() > 1))
        {
            foreach (var (line, _, _) in group.Skip(1))
            {
                errors.Add($"rows[{line}].id", $"Also on line {group.First().Line}.");
            }
        }
    }

    /// <summary>The export writes a ' before a cell that a spreadsheet would run as a formula; it is not part of the value.</summary>
    private static string WithoutFormulaEscape(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;

    private static (Guid? Id, ExpertRequest Request) ReadRow(CsvReader csv, ValidationErrors errors)
    {
        string? Field(string name) => csv.TryGetFieldIndex(name, out var index) && index < csv.FieldCount
            && csv.GetStringOrNull(index) is { } value && !string.IsNullOrWhiteSpace(value)
            ? WithoutFormulaEscape(value).Trim()
            : null;

        Guid? id = null;
        if (Field("id") is { } idText)
        {
            if (Guid.TryParse(idText, out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors.Add("id", "Not a UUID.");
            }
        }

        DateTimeOffset? consentAt = null;
        if (Field("consentRecordedAt") is { } consentText)
        {
            if (DateTimeOffset.TryParse(consentText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                consentAt = parsed;
            }
            else
            {
                errors.Add("consentRecordedAt", "An ISO 8601 date and time, e.g. 2026-03-01T09:30:00Z.");
            }
        }

        var consentBy = Field("consentRecordedBy");
        var consentBasis = Field("consentBasis");
        var request = new ExpertRequest
        {
            GivenName = Field("givenName"),
            FamilyName = Field("familyName"),
            Email = Field("email"),
            Phone = Field("phone"),
            Gender = Field("gender"),
            Nationality = Field("nationality"),
            Kind = Field("kind"),
            MemberState = Field("memberState"),
            Employer = Field("employer"),
            Position = Field("position"),
            Bio = Field("bio"),
            Languages = Pairs(Field("languages"), "languages", errors)?.Select(p => new LanguageSkill(p.Key, p.Value)).ToList(),
            Themes = Pairs(Field("themes"), "themes", errors)?.Select(p => new ThemeSkill(p.Key,
                int.TryParse(p.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var level) ? level : null)).ToList(),
            CountriesOfExperience = List(Field("countriesOfExperience")),
            Unavailability = Periods(Field("unavailability"), errors),
            Status = Field("status"),
            Consent = consentAt is null && consentBy is null && consentBasis is null ? null : new ConsentRecord(consentAt, consentBy, consentBasis),
        };
        return (id, request);
    }

    private static void WriteRecord(CsvWriter csv, ExpertResponse expert)
    {
        csv.WriteField(expert.Id.ToString());
        csv.WriteField(expert.GivenName);
        csv.WriteField(expert.FamilyName);
        csv.WriteField(expert.Email);
        csv.WriteField(expert.Phone);
        csv.WriteField(expert.Gender);
        csv.WriteField(expert.Nationality);
        csv.WriteField(expert.Kind);
        csv.WriteField(expert.MemberState);
        csv.WriteField(expert.Employer);
        csv.WriteField(expert.Position);
        csv.WriteField(expert.Bio);
        csv.WriteField(string.Join(';', expert.Languages.Select(l => $"{l.Code}:{l.Level}")));
        csv.WriteField(string.Join(';', expert.Themes.Select(t => $"{t.Code}:{t.Level}")));
        csv.WriteField(string.Join(';', expert.CountriesOfExperience));
        csv.WriteField(string.Join(';', expert.Unavailability.Select(u => $"{u.From:yyyy-MM-dd}/{u.To:yyyy-MM-dd}")));
        csv.WriteField(expert.Status);
        csv.WriteField(expert.Consent?.RecordedAt?.ToString("O", CultureInfo.InvariantCulture));
        csv.WriteField(expert.Consent?.RecordedBy);
        csv.WriteField(expert.Consent?.Basis);
    }

    private static List<string>? List(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<KeyValuePair<string, string>>? Pairs(string? value, string field, ValidationErrors errors)
    {
        var items = List(value);
        if (items is null)
        {
            return null;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in items)
        {
            var colon = item.LastIndexOf(':');
            if (colon <= 0 || colon == item.Length - 1)
            {
                errors.Add(field, $"'{item}' is not code:level.");
                continue;
            }

            pairs.Add(new(item[..colon], item[(colon + 1)..]));
        }

        return pairs;
    }

    private static List<DatePeriod>? Periods(string? value, ValidationErrors errors)
    {
        var items = List(value);
        if (items is null)
        {
            return null;
        }

        var periods = new List<DatePeriod>();
        foreach (var item in items)
        {
            var parts = item.Split('/');
            if (parts.Length == 2
                && Dates.TryParse(parts[0], out var from)
                && Dates.TryParse(parts[1], out var to))
            {
                periods.Add(new DatePeriod(from, to));
            }
            else
            {
                errors.Add("unavailability", $"'{Fields.Shorten(item)}' is not YYYY-MM-DD/YYYY-MM-DD, each date from 1900-01-01 to 2999-12-31.");
            }
        }

        return periods;
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The CSV is too large.", detail: $"At most {MaxImportBytes / (1024 * 1024)} MB per import; split the file.");
}

/// <summary>What an import stored.</summary>
/// <param name="Imported">How many experts were added.</param>
/// <param name="Ids">Their ids, in the order of the rows.</param>
internal sealed record ImportResult(int Imported, IReadOnlyList<Guid> Ids);
