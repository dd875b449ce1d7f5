// Lets GOV.UK Frontend styles know JavaScript is available (no inline script under our CSP).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
