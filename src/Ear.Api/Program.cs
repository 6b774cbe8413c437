using Ear.Api.Auth;
using Ear.Api.Features.Actions;
using Ear.Api.Features.ApiKeys;
using Ear.Api.Features.Audit;
using Ear.Api.Features.Changes;
using Ear.Api.Features.Consent;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Features.Deployments;
using Ear.Api.Features.Matching;
using Ear.Api.Features.Planning;
using Ear.Api.Features.Processing;
using Ear.Api.Features.Reports;
using Ear.Api.Features.Webhooks;
using Ear.Api.Features.Experts;
using Ear.Api.Features.ReferenceData;
using Ear.Api.Features.Retention;
using Ear.Api.Platform;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Health;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.Mapping;
using Ear.Api.Platform.OpenApi;
using Ear.Api.Platform.Telemetry;

var builder = WebApplication.CreateBuilder(args);
await builder.AddEarDatabaseAsync();
builder.AddEarTelemetry();
builder.AddEarHealth();
builder.AddEarErrors();
builder.AddEarJson();
builder.AddEarRequestGuards();
builder.AddEarCompression();
builder.AddEarAuth();
builder.AddEarRateLimiting();
builder.AddEarOpenApi();
builder.AddEarMapping();
builder.Services.AddSingleton<ReferenceCatalog>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<RosterSnapshot>();
builder.Services.AddHostedService<RosterWarmUp>();
builder.Services.AddHostedService<RosterChangeLogTrim>();
builder.Services.AddHealthChecks().AddCheck<RosterHealthCheck>("roster", tags: [HealthApi.ReadyTag]);
builder.Services.AddHostedService<CvTempFileCleanup>();
builder.Services.AddSingleton<CvTextRecovery>();
builder.Services.AddHostedService(services => services.GetRequiredService<CvTextRecovery>());
builder.AddEarRetention();
builder.AddEarChanges();
builder.AddEarWebhooks();

var app = builder.Build();
if (await app.RunCommandAsync(args) is { } commandExitCode)
{
    await app.StopAsync();
    return commandExitCode;
}

if (!await app.PrepareDatabaseAsync())
{
    return 1;
}

app.UseEarAccessLog();
app.UseResponseCompression();
app.UseEarErrors();
app.UseEarSecurityHeaders();
app.UseEarOpenApi();
app.UseAuthentication();
app.UseEarChangeAuthor();
app.UseEarRateLimiting();
app.UseEarReadYourWrites();
app.UseEarRequestGuards();
app.UseEarAudit();
app.UseAuthorization();
app.MapEarMetrics();

var api = app.MapGroup("").WithConditionalGet();
api.MapEarHealth();
api.MapReferenceData();
api.MapExperts();
api.MapConsent();
api.MapProcessing();
api.MapActions();
api.MapDeployments();
api.MapCvDocuments();
api.MapMatching();
api.MapPlanning();
api.MapReports();
api.MapApiKeys();
api.MapAudit();
api.MapRetention();
api.MapChanges();
api.MapWebhooks();

app.Run();
return 0;

/// <summary>The entry point, visible to the HTTP tests' WebApplicationFactory.</summary>
public partial class Program;
