using System.Security.Cryptography;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Who holds a lease: this process, named by machine, process id and a random suffix, so a restarted process (which
/// may get the same pid in a container) never mistakes a dead one's leases for its own.
/// </summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
