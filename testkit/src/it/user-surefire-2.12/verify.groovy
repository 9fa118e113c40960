// The build failed, and for the right reason: the test kit's guard named the Surefire version to use.
def log = new File(basedir, 'build.log').text
assert log.contains('maven-surefire-plugin:2.12.4:test') : "Surefire 2.12.4 did not run"
assert log.contains('com.example.MyHeapTest implements an emballoc-testkit contract') :
        "the build failed without the test kit's message"
assert log.contains('declare maven-surefire-plugin 3.5.2') : "the message does not name the Surefire version to use"
assert log.contains('Tests run: 1, Failures: 1') : "expected exactly the guard to run, and to fail"
return true
