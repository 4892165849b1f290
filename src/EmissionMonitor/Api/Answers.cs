// The typed answers endpoints share (named once, so a handler's signature says what it answers).
global using JsonAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<System.Collections.Generic.Dictionary<string, object?>>, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
global using TableAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult, EmissionMonitor.Api.Http.Download, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
