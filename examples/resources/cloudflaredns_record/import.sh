# Import by zone ID and record ID.
terraform import cloudflaredns_record.www 023e105f4ecef8ad9ca31a8372d0c353/372e67954025e0ba6aaa6d586b9e0b59

# Import by name and type, when exactly one record matches.
terraform import cloudflaredns_record.docs docs.example.com/CNAME

# Import one of several records of one name and type by its content.
terraform import 'cloudflaredns_record.spf' 'example.com/TXT/v=spf1 include:_spf.example.net -all'
