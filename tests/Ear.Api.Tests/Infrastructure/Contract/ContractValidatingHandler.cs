namespace Ear.Api.Tests.Infrastructure.Contract;

/// <summary>
/// Sits next to the in-memory server, below the redirect and cookie handlers, so that it sees every response
/// the service gives together with the request that produced it, and checks it against the contract.
/// </summary>
internal sealed class ContractValidatingHandler(Task<ContractValidator> validator, ContractMode mode, ContractLedger ledger) : DelegatingHandler
{
    public ContractValidatingHandler()
        : this(ContractValidator.Committed, ContractSettings.Mode, ContractLedger.Run)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var verdict = await (await validator).CheckAsync(request, response, cancellationToken);
        ledger.Record(verdict, TestContext.CurrentContext.Test.FullName);
        if (mode == ContractMode.Strict && !verdict.Conforms)
        {
            Assert.Fail(verdict.Describe());
        }

        return response;
    }
}
