'use strict';
// Binds Adaptive Card templates with the official engine (npm's adaptivecards-templating), so a C# test can
// check that our own binder means the same. Reads JSON from stdin: {"template": {...}, "data": {...}}, or an array
// of such jobs; prints the expanded card (or the array of cards) as JSON on stdout. A job whose expansion throws
// prints {"error": "..."} in its place, so one bad template does not hide the others.
const { Template, GlobalSettings } = require('adaptivecards-templating');

// The engine writes a missing value as its own expression text ("${target.login}"); ours writes "". Data can hold
// "${...}" text too (hostile input stays inert), so a missing value is marked unambiguously here and the C# side
// replaces the marker with "" before comparing.
const MISSING = '\u2063missing\u2063';
GlobalSettings.getUndefinedFieldValueSubstitutionString = () => MISSING;

function expand(job) {
  try {
    return new Template(job.template).expand({ $root: job.data });
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const result = Array.isArray(request) ? request.map(expand) : expand(request);
  process.stdout.write(JSON.stringify(result));
});
