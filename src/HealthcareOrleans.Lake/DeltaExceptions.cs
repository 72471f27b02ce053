namespace HealthcareOrleans.Lake;

/// <summary>Base of the errors this library raises on purpose; the message says what is wrong and what to do.</summary>
public class DeltaException : Exception
{
    public DeltaException()
    {
    }

    public DeltaException(string message)
        : base(message)
    {
    }

    public DeltaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A batch does not fit the table schema (wrong type, null in a non-nullable column, unknown column).</summary>
public sealed class DeltaSchemaException : DeltaException
{
    public DeltaSchemaException()
    {
    }

    public DeltaSchemaException(string message)
        : base(message)
    {
    }

    public DeltaSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The table's log is unusable for this reader/writer (unsupported protocol, missing versions, no metadata).</summary>
public sealed class DeltaProtocolException : DeltaException
{
    public DeltaProtocolException()
    {
    }

    public DeltaProtocolException(string message)
        : base(message)
    {
    }

    public DeltaProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A concurrent commit changed what this transaction read; retrying blindly could lose or duplicate data.</summary>
public sealed class DeltaConcurrentModificationException : DeltaException
{
    public DeltaConcurrentModificationException()
    {
    }

    public DeltaConcurrentModificationException(string message)
        : base(message)
    {
    }

    public DeltaConcurrentModificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
