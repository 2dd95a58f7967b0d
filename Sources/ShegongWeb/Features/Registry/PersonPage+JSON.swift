import ShegongStore

// The people list is the registry's busiest answer: its page is written field by field
// (`JSONText`), keys in byte order, as `JSONResponse.encoder` writes them (`JSONTextTests`).

extension PersonPage: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("descending", descending)
            json.field("items", items)
            json.field("nextCursor", nextCursor)
            json.field("page", page)
            json.field("perPage", perPage)
            json.field("sort", sort.rawValue)
            json.field("total", total)
            json.field("totalIsExact", totalIsExact)
        }
    }
}

extension PersonSummary: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("birthDate", birthDate)
            json.field("certificateLevel", certificateLevel)
            json.field("education", education)
            json.field("id", id)
            json.field("idNumber", idNumber)
            json.field("mobile", mobile)
            json.field("name", name)
            json.field("organizationID", organizationID)
            json.field("organizationName", organizationName)
            json.field("postCategory", postCategory)
            json.field("regionCode", regionCode)
            json.field("serviceFields", serviceFields)
            json.field("sex", sex)
            json.field("socialWorkDegree", socialWorkDegree)
            json.field("updatedAt", updatedAt)
            json.field("version", version)
        }
    }
}
