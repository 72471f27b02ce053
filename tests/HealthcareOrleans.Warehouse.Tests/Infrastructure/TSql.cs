using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>Microsoft's T-SQL parser (ScriptDom, SQL Server 2022 grammar, which covers Synapse dedicated-pool syntax).</summary>
public static class TSql
{
    public static (TSqlFragment Fragment, IList<ParseError> Errors) Parse(string sql)
    {
        TSql160Parser parser = new(initialQuotedIdentifiers: true);
        using StringReader reader = new(sql);
        var fragment = parser.Parse(reader, out var errors);
        return (fragment, errors);
    }

    public static string Describe(IEnumerable<ParseError> errors) =>
        string.Join("; ", errors.Select(e => $"line {e.Line}:{e.Column} {e.Message}"));

    public static string Script(TSqlFragment fragment)
    {
        new Sql160ScriptGenerator().GenerateScript(fragment, out var text);
        return text;
    }

    /// <summary>Every CREATE TABLE of a script (CTAS excluded).</summary>
    public static List<CreateTableStatement> CreateTables(TSqlFragment fragment)
    {
        var visitor = new CreateTableVisitor();
        fragment.Accept(visitor);
        return visitor.Tables;
    }

    private sealed class CreateTableVisitor : TSqlFragmentVisitor
    {
        public List<CreateTableStatement> Tables { get; } = [];

        public override void Visit(CreateTableStatement node) => Tables.Add(node);
    }
}
