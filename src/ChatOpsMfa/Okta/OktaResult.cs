using System.Diagnostics.CodeAnalysis;

namespace ChatOpsMfa.Okta;

/// <summary>The outcome of one Okta call: a value, or the <see cref="OktaError"/> explaining why not.</summary>
public readonly record struct OktaResult<T>
{
    private OktaResult(T? value, OktaError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public OktaError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static OktaResult<T> Success(T value) => new(value, null);

    public static OktaResult<T> Failure(OktaError error) => new(default, error);

    public static implicit operator OktaResult<T>(OktaError error) => Failure(error);
}
