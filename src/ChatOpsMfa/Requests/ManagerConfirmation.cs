namespace ChatOpsMfa.Requests;

/// <summary>When the target's manager must confirm a request in chat before it can be approved (<c>Approvals:ManagerConfirmation</c>).</summary>
public enum ManagerConfirmation
{
    None,
    Required,
    RequiredForPrivileged,
}
