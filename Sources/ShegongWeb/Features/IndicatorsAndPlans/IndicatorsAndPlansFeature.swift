import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Region statistics and the figures typed for them, indicators, practice bases and pilots, plans
/// with their measures and evidence, targets and exams; the statistics, figures, dashboard and
/// plan pages.
struct IndicatorsAndPlansFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.statistics, .statisticsUpdate, .statisticsImport, .indicators, .indicator, .indicatorChildren,
         .practiceBases, .practiceBaseCreate, .pilotCommunities, .pilotCommunityCreate,
         .plans, .plan, .measureReportCreate, .measureConfirm, .measureReturn, .evidence, .targets, .targetCreate, .exams, .examCreate, .examPassImport]
    }

    var schemas: [String: JSONValue] { Endpoint.indicatorSchemas }

    func register(_ app: Application) throws {
        for collection: any RouteCollection in [StatisticsController(), IndicatorsController(), PracticeSitesController(), PlansController(),
                                                TargetsController(), ExamsController(),
                                                RegionFiguresPage(), StatisticsPage(), DashboardPage(), PlanPage(), ExamFigurePage(),
                                                DepartmentPages(), PlanFormPages(),
                                                PlanChangePages()] {
            try app.register(collection: collection)
        }
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        if principal.role == .systemAdministrator { return [.init(order: 85, key: "nav.departments", path: "/departments")] }
        guard principal.worksWithRegionFigures else { return [] }
        let departments: [NavigationEntry] = principal.role == .official ? [.init(order: 85, key: "nav.departments", path: "/departments")] : []
        return [.init(order: 60, key: "nav.statistics", path: "/statistics"), .init(order: 70, key: "nav.figures", path: "/figures"),
                .init(order: 80, key: "nav.plans", path: "/dashboard")] + departments
    }

    var auditActions: [AuditAction] {
        [.statisticsUpdate, .statisticsImport, .practiceBaseCreate, .pilotCommunityCreate, .measureReport, .evidenceDownload,
         .examCreate, .targetCreate, .examPassImport, .measureConfirm, .measureReturn,
         .departmentCreate, .departmentRename, .departmentDeactivate, .departmentActivate, .planCreate, .planUpdate, .planTaskCreate, .planMeasureCreate,
         .planTaskUpdate, .planTaskDelete, .planMeasureUpdate, .planMeasureDelete, .targetUpdate, .targetDelete]
    }

    var catalogue: [CatalogueEntry] {
        Catalogue.figuresEntries + Catalogue.fidelityEntries + Catalogue.dashboardEntries + Catalogue.dashboardPageEntries
            + Catalogue.evidenceEntries + Catalogue.planServiceEntries + Catalogue.englishWalkEntries + Catalogue.pgPlansEntries
            + Catalogue.measureConfirmationEntries + Catalogue.examFormEntries
            + Catalogue.planFormEntries
            + Catalogue.planEditEntries
    }
}
