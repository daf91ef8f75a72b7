import Testing
@testable import Pager

@Suite struct CompletionGroupTests {
    /// A completion finished by hand, standing in for a backend.
    func leaf() -> Completion {
        let file = StorageFile(path: "test", descriptor: -1, options: FileOpenOptions(), storage: .memory(MemoryFileSystemStub.file))
        let completion = Completion(.sync(file, dataOnly: true))
        completion.markSubmitted()
        return completion
    }

    @Test func emptyGroupFinishesAtBuild() {
        var called = 0
        let group = CompletionGroup { _ in called += 1 }
        let all = group.build()
        #expect(all.isFinished)
        #expect(all.succeeded)
        #expect(called == 1)
    }

    @Test func finishesOnlyWhenEveryChildHas() {
        let children = (0..<5).map { _ in leaf() }
        let group = CompletionGroup()
        for child in children { group.add(child) }
        let all = group.build()
        for child in children.dropLast() {
            child.finish(error: nil)
            #expect(!all.isFinished)
        }
        children.last!.finish(error: nil)
        #expect(all.isFinished)
        #expect(all.succeeded)
    }

    @Test func notFinishedBeforeBuildEvenWhenChildrenAreDone() {
        let child = leaf()
        let group = CompletionGroup()
        group.add(child)
        child.finish(error: nil)
        #expect(!group.completion.isFinished)
        #expect(group.build().isFinished)
    }

    @Test func carriesTheFirstError() {
        let children = (0..<4).map { _ in leaf() }
        let group = CompletionGroup()
        for child in children { group.add(child) }
        let all = group.build()
        children[0].finish(error: nil)
        children[2].finish(error: .noSpace)
        children[1].finish(error: .io)
        children[3].finish(error: nil)
        #expect(all.error == .noSpace)
        #expect(all.result == .failure(.noSpace))
    }

    @Test func alreadyFinishedChildrenCountAtOnce() {
        let done = leaf()
        done.finish(error: .io)
        let pending = leaf()
        let group = CompletionGroup()
        group.add(done)
        group.add(pending)
        let all = group.build()
        #expect(!all.isFinished)
        pending.finish(error: nil)
        #expect(all.error == .io)
    }

    @Test func groupsNest() {
        let a = leaf(), b = leaf(), c = leaf()
        let inner = CompletionGroup()
        inner.add(a)
        inner.add(b)
        let outer = CompletionGroup()
        outer.add(inner.build())
        outer.add(c)
        let all = outer.build()
        a.finish(error: nil)
        c.finish(error: nil)
        #expect(!inner.completion.isFinished)
        #expect(!all.isFinished)
        b.finish(error: .io)
        #expect(inner.completion.error == .io)
        #expect(all.isFinished)
        #expect(all.error == .io)
    }

    @Test func callbacksRunBeforeTheParentHears() {
        var order: [String] = []
        let group = CompletionGroup { _ in order.append("group") }
        let file = StorageFile(path: "test", descriptor: -1, options: FileOpenOptions(), storage: .memory(MemoryFileSystemStub.file))
        let child = Completion(.sync(file, dataOnly: true)) { _ in order.append("child") }
        child.markSubmitted()
        group.add(child)
        _ = group.build()
        child.finish(error: nil)
        #expect(order == ["child", "group"])
    }

    @Test func byteCountsAddUp() {
        let fileSystem = MemoryFileSystem()
        let file = try! fileSystem.open("f", options: FileOpenOptions())
        let backend = MemoryIO()
        let group = CompletionGroup()
        for i in 0..<3 {
            let buffer = IOBuffer.allocate(count: 100 * (i + 1))
            let write = Completion(.write(file, buffer, offset: Int64(i * 1000)))
            group.add(write)
            backend.submit(write)
        }
        let all = group.build()
        backend.wait(for: all)
        #expect(all.bytesTransferred == 600)
    }
}

enum MemoryFileSystemStub {
    static let fileSystem = MemoryFileSystem()
    static let file: MemoryFile = {
        _ = try! fileSystem.open("stub", options: FileOpenOptions())
        return fileSystem.file("stub")!
    }()
}
