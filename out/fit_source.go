package out

import "github.com/crmroi/crmroi/distributions"

// InputSource returns where an input's distribution came from when it was
// read or fitted from data (empirical(…) inputs), e.g. "history.csv, column
// "churn": n = 36, mean 0.2487, …; sha256 …", and "" for any other input.
// report.html shows it under the input; summary.xlsx may use it too.
func InputSource(d distributions.Dist) string { return distributions.SourceOf(d) }

// inputNote is the note under an input in report.html: its documentation
// and, for an input from data, its source.
func inputNote(doc string, d distributions.Dist, l Lang) string {
	src := InputSource(d)
	switch {
	case src == "":
		return doc
	case doc == "":
		return l.T("Source") + ": " + src
	}
	return doc + " — " + l.T("Source") + ": " + src
}
