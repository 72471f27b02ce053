namespace HealthcareOrleans.Lake.Commit;

/// <summary>A concurrent commit already recorded this application id at this version or later: the write is a replay.</summary>
internal sealed class TransactionAlreadyCommittedException : Exception
{
    public TransactionAlreadyCommittedException()
    {
    }

    public TransactionAlreadyCommittedException(string message)
        : base(message)
    {
    }

    public TransactionAlreadyCommittedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
