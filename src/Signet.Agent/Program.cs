using Signet.Agent.Commands;

return await AgentCli.RunAsync(AgentCli.Build(AgentHost.System), args).ConfigureAwait(false);
