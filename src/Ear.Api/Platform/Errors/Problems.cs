using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Platform.Errors;

/// <summary>How middleware that answers before any handler runs (authentication, rate limits, request guards) writes its problem.</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? throw new ArgumentException("A problem needs its status.", nameof(problem));
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}
