using Arazzo.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await ArazzoCommand.RunAsync(args, Console.Out, Console.Error, CliConfiguration.FromEnvironment(), cancel.Token);
