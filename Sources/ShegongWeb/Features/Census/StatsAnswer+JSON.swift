import ShegongDomain
import ShegongStore

// The census statistics are asked for on every dashboard and statistics page: the answer is
// written field by field (`JSONText`), keys in byte order, as `JSONResponse.encoder` writes them
// (`JSONTextTests`).

extension CensusController.StatsAnswer: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("region", region)
            json.field("summary", summary)
        }
    }
}

extension RegionsController.RegionDTO: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("code", code)
            json.field("level", level)
            json.field("name", name)
            json.field("parentCode", parentCode)
            json.field("path", path)
            json.field("source", source)
            json.field("validFrom", validFrom)
            json.field("validTo", validTo)
        }
    }
}

extension RegionPath: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("city", city)
            json.field("community", community)
            json.field("county", county)
            json.field("province", province)
            json.field("township", township)
        }
    }
}

extension CensusSummary: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("asOf", asOf.description)
            json.field("byAgeBand", byAgeBand)
            json.field("byEducation", byEducation)
            json.field("byLevel", byLevel)
            json.field("byPostCategory", byPostCategory)
            json.field("byServiceField", byServiceField)
            json.field("bySex", bySex)
            json.field("bySocialWorkDegree", bySocialWorkDegree)
            json.field("certificateHolders", certificateHolders)
            json.field("certifiedCommunityWorkers", certifiedCommunityWorkers)
            json.field("communityWorkerCertificationRate", communityWorkerCertificationRate)
            json.field("communityWorkers", communityWorkers)
            json.field("total", total)
        }
    }
}

extension CensusSummary.Bucket: JSONWritable {
    func write(to json: inout JSONText) {
        json.object { json in
            json.field("count", count)
            json.field("value", value)
        }
    }
}
