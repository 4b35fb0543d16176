# The README's main job: define a domain, start it, grow a snapshot tree, list what exists.
# One command per line, in vsh's (and virsh's) command-string syntax; @DOMAIN_XML@ stands for the
# domain definition. scripts/main-job.sh runs it through vsh; test/cli/main-job.test.ts runs the
# same list through real virsh and compares.
define @DOMAIN_XML@
start demo
snapshot-create-as demo base --description 'before changes'
snapshot-create-as demo left
snapshot-revert demo base
snapshot-create-as demo right
snapshot-list demo --tree
list --all
