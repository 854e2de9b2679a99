import XCTest
@testable import ShadowScanCore

/// Runs every example of every service in the project's `Rules/`: a rule whose examples fail breaks CI.
final class CatalogueExamplesTests: XCTestCase {
    func testProjectCatalogueLoads() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        XCTAssertGreaterThanOrEqual(catalog.services.count, 60)
        let required = ["dropbox", "google-drive", "onedrive-personal", "box", "wetransfer", "mega", "icloud-drive", "pcloud",
                        "mediafire", "gmail", "outlook-com", "yahoo-mail", "proton-mail", "gmx-mail", "aol-mail", "facebook",
                        "instagram", "x-twitter", "linkedin", "tiktok", "reddit", "youtube", "whatsapp-web", "telegram-web",
                        "discord", "signal", "pastebin", "github-gist", "chatgpt", "claude", "gemini", "deepl", "google-translate"]
        let ids = Set(catalog.services.map(\.id))
        for id in required { XCTAssertTrue(ids.contains(id), "catalogue lacks required service '\(id)'") }
    }

    func testEveryExampleOfEveryService() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let probe = URLProbe(catalog: catalog)
        var checked = 0
        for service in catalog.services {
            for (url, location) in service.examples.match {
                let got = probe.service(forURL: url)?.id
                XCTAssertEqual(got, service.id, "\(location): match example '\(url)' of \(service.id) matched \(got ?? "nothing")")
                checked += 1
            }
            for (url, location) in service.examples.noMatch {
                let got = probe.service(forURL: url)?.id
                XCTAssertNotEqual(got, service.id, "\(location): no_match example '\(url)' matched \(service.id)")
                checked += 1
            }
            for (line, location) in service.examples.upload {
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                XCTAssertEqual(probe.service(forURL: parts[1])?.id, service.id, "\(location): upload example '\(line)' is not a \(service.id) request")
                XCTAssertTrue(probe.isUpload(method: parts[0], url: parts[1]), "\(location): upload example '\(line)' does not count as upload")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, catalog.services.count * 2)
    }

    func testCorporateTenantsAreNotPersonal() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let probe = URLProbe(catalog: catalog)
        for url in ["https://council.sharepoint.com/sites/x", "outlook.office365.com:443", "https://council-my.sharepoint.com/personal/x"] {
            if let service = probe.service(forURL: url) {
                XCTAssertFalse(service.personal, "\(url) matched personal service \(service.id)")
            }
        }
    }

    func testProbeOnSmallCatalogue() throws {
        let probe = URLProbe(catalog: try TestSupport.catalog(TestSupport.smallCatalogue))
        XCTAssertEqual(probe.service(forURL: "https://www.dropbox.com/home")?.id, "dropbox")
        XCTAssertEqual(probe.service(forURL: "content.dropboxapi.com:443")?.id, "dropbox")
        XCTAssertNil(probe.service(forURL: "https://notdropbox.com/"))
        XCTAssertNil(probe.service(forURL: "https://dropbox.com.evil.net/"))
        XCTAssertEqual(probe.service(forURL: "https://drive.example.net/s/abc")?.id, "drive-share")
        XCTAssertNil(probe.service(forURL: "https://drive.example.net/other"), "URL patterns filter after the domain matched")
        XCTAssertTrue(probe.isUpload(method: "POST", url: "https://content.dropboxapi.com/2/files/upload"))
        XCTAssertFalse(probe.isUpload(method: "GET", url: "https://content.dropboxapi.com/2/files/upload"))
        XCTAssertFalse(probe.isUpload(method: "POST", url: "https://www.dropbox.com/home"))
    }
}
