namespace ChatOpsMfa.Storage;

/// <summary>Which attribute of a stored Teams member a lookup compares.</summary>
public enum MemberKey
{
    AadObjectId,
    Email,
    UserPrincipalName,
}
