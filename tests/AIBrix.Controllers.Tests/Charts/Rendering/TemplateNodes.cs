namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>A parsed template: the tree Go's text/template/parse builds, for the constructs the chart uses.</summary>
internal abstract record TemplateNode(int Line);

internal sealed record TextNode(string Text, int Line) : TemplateNode(Line);

/// <summary><c>{{ pipeline }}</c>: prints the value unless the pipeline declares or assigns a variable.</summary>
internal sealed record ActionNode(Pipeline Pipeline, int Line) : TemplateNode(Line);

/// <summary><c>if</c>, <c>with</c> and <c>range</c>: a pipeline, a body and an optional else body.</summary>
internal sealed record BranchNode(string Keyword, Pipeline Pipeline, List<TemplateNode> Body, List<TemplateNode>? Else, int Line) : TemplateNode(Line);

/// <summary><c>{{ template "name" pipeline }}</c>.</summary>
internal sealed record CallTemplateNode(string Name, Pipeline? Pipeline, int Line) : TemplateNode(Line);

/// <summary>Commands joined by <c>|</c>, optionally declaring (<c>:=</c>) or assigning (<c>=</c>) variables.</summary>
internal sealed record Pipeline(List<string> Variables, bool Declares, List<Command> Commands);

/// <summary>One command: a function and its arguments, or a single operand.</summary>
internal sealed record Command(List<Operand> Arguments);

/// <summary>An argument: literal, field chain, variable, function name or parenthesised pipeline.</summary>
internal abstract record Operand;

internal sealed record LiteralOperand(object? Value) : Operand;

/// <summary><c>.</c> followed by fields (<c>.Values.x</c>); none is the dot itself.</summary>
internal sealed record DotOperand(string[] Fields) : Operand;

internal sealed record VariableOperand(string Name, string[] Fields) : Operand;

internal sealed record FunctionOperand(string Name) : Operand;

internal sealed record PipelineOperand(Pipeline Pipeline, string[] Fields) : Operand;
