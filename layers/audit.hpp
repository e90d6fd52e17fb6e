#pragma once
// Consistency checks on the records, computed by rules (never a list of known answers):
//   split          a total against its split (returns: idp + from_abroad; intended returns:
//                  the sum of by_destination figures)
//   places         a national figure against the same figure stated for places or crossings
//   two_periods    the same figure given for a day and for a week (or month) in one document
//   qualified      one statement given twice with different qualifiers or claimants
//   two_figures    one quantity given as two different numbers in one document
//   population     more people wanting to leave a place than the stated population there
//   itemised       an aid total against its items in the same unit
//   subsets        women + children against the figure they belong to
//   series         national cumulative totals across documents: rising in date order; counts
//                  with different starting points
//   dates          period start <= end <= document date
// Severity: ok (the check passed), note (adds up only through a bound, or incomplete),
// inconsistent (the numbers disagree).
#include "layers/atlas.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sitmap {

struct AuditRow {
    std::string rule;
    std::string severity;        // ok | note | inconsistent
    std::vector<std::string> records;
    std::optional<double> stated;   // the figure stated (a total, the first statement)
    std::optional<double> computed; // what the other records give (a sum, the second statement)
    std::string message;
};

std::vector<AuditRow> audit_records(const std::vector<Record>& records,
                                    const std::vector<Located>& located,
                                    const std::vector<Zone>& zones,
                                    const std::vector<Document>& documents);

Layer make_audit_layer(const std::vector<AuditRow>& rows);

} // namespace sitmap
