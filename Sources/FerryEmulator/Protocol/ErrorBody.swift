import Foundation

/// Renders the A10 error XML body. Pure; safe from any thread.
enum ErrorBody {
    static func xml(for error: ServiceError, requestID: String, time: Date) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>\(XMLText.escape(error.code))</Code>"
        xml += "<Message>\(XMLText.escape(error.message))\nRequestId:\(requestID)\nTime:\(ISOTime.format(time))</Message>"
        for (name, value) in error.details {
            xml += "<\(name)>\(XMLText.escape(value))</\(name)>"
        }
        xml += "</Error>"
        return xml
    }
}
