// The typed answers endpoints share (named once, so a handler's signature says what it answers).
global using TableAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult, EmissionMonitor.Api.Http.Download, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
global using BytesAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
global using ObjectAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<object>, Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<object>, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
global using ContentAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
global using FileAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileStreamHttpResult, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
global using RecordAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Created<System.Collections.Generic.Dictionary<string, object?>>,
    Microsoft.AspNetCore.Http.HttpResults.Ok<System.Collections.Generic.Dictionary<string, object?>>, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
